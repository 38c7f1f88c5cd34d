package rtcschema

import (
	"fmt"
	"reflect"
)

// The one home of every table and column name the product sends to an rtc
// database, each with its grade (SPEC 7.1) and the type family it needs.
// Product SQL names them only through these values or through SQL templates
// (sql.go): correcting a name is one edit here.
//
// rtc keeps every table in the dbo schema. OwnerId, BuddyId and the other
// user columns hold Resource.ResourceIds.

// Table is a table the product names.
type Table struct {
	Name string // as the server spells it
	Fact Fact
}

// Column is a column the product names, with the type family it needs.
type Column struct {
	Table  string // its table's Name (filled in from the table below)
	Name   string
	Family Family
	Fact   Fact
}

func (c Column) String() string { return c.Table + "." + c.Name }

// Facts shared by several columns.
var (
	contactListFact = confirmed(srcContactList)
	userReportsFact = confirmed(srcUserReports)
	ciscoPlanFact   = confirmed(srcCiscoLog + ": a table of its delete")
	ownerIDGuess    = reconstructed("the column that holds the user's ResourceId, as Contact's OwnerId does")
	resourceIDGuess = reconstructed("the column that holds the user's ResourceId, as ResourceDirectory's does")
)

// Resource maps a user (UserAtHost: the SIP address without "sip:") to its
// ResourceId. Nothing ever deletes from it: other users' contacts point at it.
var Resource = struct {
	Table
	ResourceID, UserAtHost Column
}{
	Table:      Table{Name: "Resource", Fact: contactListFact},
	ResourceID: Column{Name: "ResourceId", Family: Integer, Fact: confirmed(srcContactList + "; an alias type ResourceId: " + srcRtcSetContact)},
	UserAtHost: Column{Name: "UserAtHost", Family: String, Fact: confirmed(srcContactList + `: WHERE [UserAtHost] = 'user@host'`)},
}

// ResourceDirectory has a row for each user homed on the pool; Enabled
// probably mirrors msRTCSIP-UserEnabled as Lync's User Replicator last saw it.
var ResourceDirectory = struct {
	Table
	ResourceID, Enabled Column
}{
	Table:      Table{Name: "ResourceDirectory", Fact: confirmed(srcUserReports + "; " + srcCiscoLog)},
	ResourceID: Column{Name: "ResourceId", Family: Integer, Fact: userReportsFact},
	Enabled:    Column{Name: "Enabled", Family: Flag, Fact: userReportsFact},
}

// ContactGroup holds a user's contact groups; the default group is named "~".
var ContactGroup = struct {
	Table
	OwnerID, GroupNumber, DisplayName, ExternalURI Column
}{
	Table:       Table{Name: "ContactGroup", Fact: reconstructed("Export-CsUserData's ContactGroup element (Number, DisplayName, ExternalUri); no public SQL names the table")},
	OwnerID:     Column{Name: "OwnerId", Family: Integer, Fact: reconstructed("named as in Contact and ContactGroupAssoc")},
	GroupNumber: Column{Name: "GroupNumber", Family: Integer, Fact: reconstructed("named as in ContactGroupAssoc")},
	DisplayName: Column{Name: "DisplayName", Family: StringOrBinary, Fact: reconstructed("Export-CsUserData's DisplayName attribute; names are binary there (base64 UTF-8) and in RtcSetContact's arguments")},
	ExternalURI: Column{Name: "ExternalUri", Family: StringOrBinary, Fact: reconstructed("Export-CsUserData's ExternalUri attribute (base64 UTF-8)")},
}

// Contact is one buddy on a user's list.
var Contact = struct {
	Table
	OwnerID, BuddyID, DisplayName Column
}{
	Table:       Table{Name: "Contact", Fact: contactListFact},
	OwnerID:     Column{Name: "OwnerId", Family: Integer, Fact: contactListFact},
	BuddyID:     Column{Name: "BuddyId", Family: Integer, Fact: confirmed(srcContactList + ": Contact.BuddyId = Resource.ResourceId")},
	DisplayName: Column{Name: "DisplayName", Family: StringOrBinary, Fact: reconstructed("Export-CsUserData's Contact DisplayName attribute; RtcSetContact passes it as binary (0x)")},
}

// ContactGroupAssoc puts a buddy into a group.
var ContactGroupAssoc = struct {
	Table
	OwnerID, BuddyID, GroupNumber Column
}{
	Table:       Table{Name: "ContactGroupAssoc", Fact: contactListFact},
	OwnerID:     Column{Name: "OwnerId", Family: Integer, Fact: contactListFact},
	BuddyID:     Column{Name: "BuddyId", Family: Integer, Fact: contactListFact},
	GroupNumber: Column{Name: "GroupNumber", Family: Integer, Fact: contactListFact},
}

// The other tables of Cisco's Lync 2013 delete, each with the column its
// DELETE matches against the user's ResourceId.
var (
	CachedContainerMember = struct {
		Table
		OwnerID Column
	}{Table{Name: "CachedContainerMember", Fact: ciscoPlanFact}, Column{Name: "OwnerId", Family: Integer, Fact: ownerIDGuess}}

	ContainerMemberUser = struct {
		Table
		OwnerID Column
	}{Table{Name: "ContainerMemberUser", Fact: ciscoPlanFact}, Column{Name: "OwnerId", Family: Integer, Fact: ownerIDGuess}}

	PromptedSubscriber = struct {
		Table
		OwnerID Column
	}{Table{Name: "PromptedSubscriber", Fact: ciscoPlanFact}, Column{Name: "OwnerId", Family: Integer, Fact: ownerIDGuess}}

	Delegate = struct {
		Table
		OwnerID Column
	}{Table{Name: "Delegate", Fact: ciscoPlanFact}, Column{Name: "OwnerId", Family: Integer, Fact: ownerIDGuess}}

	UserPolicy = struct {
		Table
		ResourceID Column
	}{Table{Name: "UserPolicy", Fact: ciscoPlanFact}, Column{Name: "ResourceId", Family: Integer, Fact: resourceIDGuess}}

	ResourcePhone = struct {
		Table
		ResourceID Column
	}{Table{Name: "ResourcePhone", Fact: confirmed(srcCiscoLog + "; " + srcDeletedObject)}, Column{Name: "ResourceId", Family: Integer, Fact: confirmed(srcDeletedObject + ": ResourcePhone(ResourceId, PhoneNum)")}}

	RtcItem = struct {
		Table
		ResourceID Column
	}{Table{Name: "RtcItem", Fact: ciscoPlanFact}, Column{Name: "ResourceId", Family: Integer, Fact: resourceIDGuess}}

	PUIDDirectory = struct {
		Table
		ResourceID Column
	}{Table{Name: "PUIDDirectory", Fact: ciscoPlanFact}, Column{Name: "ResourceId", Family: Integer, Fact: resourceIDGuess}}
)

// Tables the homed-resource procedures are believed to delete from
// (reconstructed). The check does not need them: the delete measures what a
// procedure really removes (SPEC 6.1).
var (
	Container = struct {
		Table
		OwnerID Column
	}{Table{Name: "Container", Fact: confirmed(srcCiscoLog + ": probed in sysobjects")}, Column{Name: "OwnerId", Family: Integer, Fact: ownerIDGuess}}

	PublishedInstance = struct {
		Table
		PublisherID Column
	}{Table{Name: "PublishedInstance", Fact: reconstructed("no public sign of it; " + srcPresence + " shows PublishedStaticInstance(PublisherId, …) instead")},
		Column{Name: "PublisherId", Family: Integer, Fact: reconstructed("PublishedStaticInstance has a PublisherId (" + srcPresence + ")")}}

	ConferenceParticipant = struct {
		Table
		EnterpriseID Column
	}{Table{Name: "ConferenceParticipant", Fact: reconstructed("from the procedure name RtcpDeleteConferenceParticipantByEnterpriseId")},
		Column{Name: "EnterpriseId", Family: Integer, Fact: reconstructed("from the procedure name; taken to be the ResourceId")}}

	HomedResource = struct {
		Table
		ResourceID Column
	}{Table{Name: "HomedResource", Fact: confirmed(srcRtcSetContact + ": HomedResource(ResourceId, Unavailable, VersionContact)")},
		Column{Name: "ResourceId", Family: Integer, Fact: confirmed(srcRtcSetContact)}}

	Endpoint = struct {
		Table
		OwnerID Column
	}{Table{Name: "Endpoint", Fact: reconstructed("probed in sysobjects by Cisco; Lync 2013 keeps it in rtcdyn, OCS in rtc")},
		Column{Name: "OwnerId", Family: Integer, Fact: ownerIDGuess}}
)

// registry names every declared table by its Go name, for the SQL templates:
// "{Contact}" is Contact.Name and "{Contact.DisplayName}" its DisplayName
// column's Name.
var registry = map[string]any{
	"Resource": &Resource, "ResourceDirectory": &ResourceDirectory, "ContactGroup": &ContactGroup,
	"Contact": &Contact, "ContactGroupAssoc": &ContactGroupAssoc,
	"CachedContainerMember": &CachedContainerMember, "ContainerMemberUser": &ContainerMemberUser,
	"PromptedSubscriber": &PromptedSubscriber, "Delegate": &Delegate, "UserPolicy": &UserPolicy,
	"ResourcePhone": &ResourcePhone, "RtcItem": &RtcItem, "PUIDDirectory": &PUIDDirectory,
	"Container": &Container, "PublishedInstance": &PublishedInstance,
	"ConferenceParticipant": &ConferenceParticipant, "HomedResource": &HomedResource, "Endpoint": &Endpoint,
}

// names resolves the template keys: "Contact" and "Contact.DisplayName".
var (
	tableByKey  = map[string]Table{}
	columnByKey = map[string]Column{}
)

// init gives each column its table's name and indexes both for the templates.
func init() {
	for key, p := range registry {
		v := reflect.ValueOf(p).Elem()
		t, ok := v.Field(0).Interface().(Table)
		if !ok {
			panic(fmt.Sprintf("rtcschema: %s does not start with its Table", key))
		}
		tableByKey[key] = t
		for i := 1; i < v.NumField(); i++ {
			f := v.Field(i)
			c, ok := f.Interface().(Column)
			if !ok {
				panic(fmt.Sprintf("rtcschema: %s.%s is not a Column", key, v.Type().Field(i).Name))
			}
			c.Table = t.Name
			f.Set(reflect.ValueOf(c))
			columnByKey[key+"."+v.Type().Field(i).Name] = c
		}
	}
}

// Tables lists every declared table, sorted by name.
func Tables() []Table {
	out := make([]Table, 0, len(tableByKey))
	for _, t := range tableByKey {
		out = append(out, t)
	}
	sortTables(out)
	return out
}
